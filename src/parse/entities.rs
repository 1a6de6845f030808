//! Entities: takes the text of `content/entities.yaml` and gives the people,
//! organisations, laws and concepts it defines, with a matcher that finds their
//! mentions in running text. Problems come at `path:line:col`.
//!
//! Matching rules, chosen so that a mention is what a reader would call one:
//! - whole words only: no letter or digit may touch either end of a match, so
//!   `CQC` is not found inside `CQCs` nor `DASS` inside `ADASS`;
//! - abbreviations, and the names and aliases of people, organisations and
//!   legislation, match exactly as written: they are proper nouns, and a
//!   lower-case "guardian" is not The Guardian;
//! - the names and aliases of concepts match whatever their (ASCII) case, since
//!   a common noun is capitalised at the start of a sentence;
//! - straight and curly apostrophes are the same;
//! - where matches overlap, the one that starts first wins, then the longest.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::cache::fingerprint;
use crate::diagnostics::{Code, Diagnostic, Position};
use crate::load::ENTITIES_FILE as FILE;
use crate::parse::yaml::{self, Checker, Expectations, Subject};
use crate::slug;

/// Index into [`Entities::list`].
pub(crate) type EntityId = usize;
/// Index into [`Entities::patterns`].
pub(crate) type PatternId = usize;

/// What an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum EntityKind {
    Person,
    Organisation,
    Legislation,
    Concept,
}

impl EntityKind {
    const ALL: [EntityKind; 4] = [
        EntityKind::Person,
        EntityKind::Organisation,
        EntityKind::Legislation,
        EntityKind::Concept,
    ];

    /// As written in the entities file.
    pub(crate) fn name(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organisation => "organisation",
            EntityKind::Legislation => "legislation",
            EntityKind::Concept => "concept",
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            EntityKind::Person => "Person",
            EntityKind::Organisation => "Organisation",
            EntityKind::Legislation => "Legislation and guidance",
            EntityKind::Concept => "Concept",
        }
    }

    /// The section of the site whose pages list entities of this kind.
    pub(crate) fn section(self) -> Section {
        match self {
            EntityKind::Person => Section::People,
            EntityKind::Organisation => Section::Organisations,
            EntityKind::Legislation | EntityKind::Concept => Section::Glossary,
        }
    }

    /// Proper nouns match as written; common nouns in either case.
    fn case(self) -> Case {
        match self {
            EntityKind::Person | EntityKind::Organisation | EntityKind::Legislation => Case::Exact,
            EntityKind::Concept => Case::Ignored,
        }
    }
}

/// A part of the site that lists entities: `/people/`, `/organisations/`, `/glossary/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Section {
    People,
    Organisations,
    Glossary,
}

impl Section {
    pub(crate) const ALL: [Section; 3] =
        [Section::People, Section::Organisations, Section::Glossary];

    /// The site path of the section's index page.
    pub(crate) fn folder(self) -> &'static str {
        match self {
            Section::People => "people/",
            Section::Organisations => "organisations/",
            Section::Glossary => "glossary/",
        }
    }

    pub(crate) fn title(self) -> &'static str {
        match self {
            Section::People => "People",
            Section::Organisations => "Organisations",
            Section::Glossary => "Glossary",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Case {
    Exact,
    Ignored,
}

/// A name, alias or abbreviation as written, with where.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Written {
    pub text: String,
    pub(crate) position: Position,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entity {
    pub name: String,
    pub slug: String,
    pub(crate) kind: EntityKind,
    pub(crate) aliases: Vec<Written>,
    pub(crate) abbreviations: Vec<Written>,
    pub description: String,
    /// Where its page is served, relative to the base path: `people/liz-bruce/`.
    pub site_path: String,
    /// Where its name is written in the file.
    pub(crate) position: Position,
}

/// What a pattern is to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Form {
    Name,
    Alias,
    Abbreviation,
}

/// One text that names an entity in running text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pattern {
    pub entity: EntityId,
    pub text: String,
    pub(crate) form: Form,
    pub(crate) position: Position,
}

/// A mention found in a text: bytes `start..end`, by `pattern`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub pattern: PatternId,
}

/// Every entity of the site, with what finds them.
#[derive(Debug, Clone, Default)]
pub struct Entities {
    /// In the order the file defines them.
    pub list: Vec<Entity>,
    pub patterns: Vec<Pattern>,
    matcher: Matcher,
    /// Identifies everything that decides how mentions render: patterns, names
    /// and URLs, but not descriptions, which only entity pages show.
    pub(crate) mentions_fingerprint: u64,
}

impl PartialEq for Entities {
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list && self.patterns == other.patterns
    }
}

impl Entities {
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every mention in `text`, in order, none overlapping.
    pub fn find(&self, text: &str) -> Vec<Found> {
        self.matcher.find(text)
    }
}

/// One automaton over every needle, matching ASCII letters in either case;
/// a needle whose pattern keeps its case is then checked against the text.
/// (A pattern with an apostrophe has two needles, one per style.) One pass
/// over the text, not one per case rule, since it reads every article.
#[derive(Debug, Clone, Default)]
struct Matcher {
    automaton: Option<AhoCorasick>,
    needles: Vec<Needle>,
}

#[derive(Debug, Clone)]
struct Needle {
    pattern: PatternId,
    text: String,
    case: Case,
}

impl Matcher {
    fn new(patterns: &[(PatternId, &str, Case)]) -> Self {
        let needles: Vec<Needle> = patterns
            .iter()
            .flat_map(|&(pattern, text, case)| {
                apostrophe_variants(text)
                    .into_iter()
                    .map(move |text| Needle {
                        pattern,
                        text,
                        case,
                    })
            })
            .collect();
        // Standard semantics report every match, overlapping ones too, so
        // that a match refused for its case or for touching a word does not
        // hide a good one beside it; overlaps are settled afterwards.
        let automaton = (!needles.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .ascii_case_insensitive(true)
                    .build(needles.iter().map(|n| n.text.as_str()))
                    .ok()
            })
            .flatten();
        Matcher { automaton, needles }
    }

    fn find(&self, text: &str) -> Vec<Found> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for m in automaton.find_overlapping_iter(text) {
            let needle = &self.needles[m.pattern().as_usize()];
            let case_ok = needle.case == Case::Ignored || text[m.start()..m.end()] == needle.text;
            if case_ok && is_whole_word(text, m.start(), m.end()) {
                found.push(Found {
                    start: m.start(),
                    end: m.end(),
                    pattern: needle.pattern,
                });
            }
        }
        if found.len() > 1 {
            found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end), f.pattern));
            let mut kept: Vec<Found> = Vec::with_capacity(found.len());
            for f in found {
                if kept.last().is_none_or(|last| f.start >= last.end) {
                    kept.push(f);
                }
            }
            found = kept;
        }
        found
    }
}

/// Whether `text[start..end]` stands as whole words: no letter or digit runs on
/// into it from either side (only where the match itself ends in one).
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let inside = &text[start..end];
    let before_ok = match (inside.chars().next(), text[..start].chars().next_back()) {
        (Some(first), Some(before)) if first.is_alphanumeric() => !before.is_alphanumeric(),
        _ => true,
    };
    let after_ok = match (inside.chars().next_back(), text[end..].chars().next()) {
        (Some(last), Some(after)) if last.is_alphanumeric() => !after.is_alphanumeric(),
        _ => true,
    };
    before_ok && after_ok
}

/// The text as written, and with each apostrophe in the other style.
fn apostrophe_variants(text: &str) -> Vec<String> {
    let mut variants = vec![text.to_string()];
    if text.contains('\'') {
        variants.push(text.replace('\'', "’"));
    } else if text.contains('’') {
        variants.push(text.replace('’', "'"));
    }
    variants
}

/// What two patterns are compared by when deciding whether two entities claim
/// the same words: case and apostrophe style aside.
fn claim_key(text: &str) -> String {
    text.replace('’', "'").to_lowercase()
}

/// What each field must be, for messages about values of the wrong type.
const ENTITY_FIELDS: Expectations = &[
    ("", "a list of entities, each starting with `- name:`"),
    (
        "[]",
        "each entity to be name:, kind: and description: lines",
    ),
    ("[].name", "a text"),
    (
        "[].kind",
        "one of person, organisation, legislation, concept",
    ),
    ("[].slug", "a slug such as \"care-act-2014\""),
    ("[].abbreviations", "a list of abbreviations"),
    ("[].abbreviations[]", "each abbreviation to be a text"),
    ("[].aliases", "a list of other names"),
    ("[].aliases[]", "each alias to be a text"),
    ("[].description", "a text"),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    name: Spanned<String>,
    // Read as text and checked here, so that a mistyped kind is reported for
    // its entity and the other entities are still read.
    kind: Spanned<String>,
    #[serde(default)]
    slug: Option<Spanned<String>>,
    #[serde(default)]
    abbreviations: Vec<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    description: Spanned<String>,
}

/// Reads the entities file. Gives the entities that are sound (an entity with
/// an error is left out) and every problem found.
pub fn parse(text: &str) -> (Entities, Vec<Diagnostic>) {
    let mut checker = Checker::new(FILE, 1, Subject::Entities, ENTITY_FIELDS);
    if text.trim().is_empty() {
        return (Entities::default(), Vec::new());
    }
    let Some(raw) = yaml::parse::<Vec<RawEntity>>(text, &mut checker) else {
        return (Entities::default(), checker.problems);
    };
    let mut list: Vec<Entity> = Vec::with_capacity(raw.len());
    let mut urls: HashMap<String, Position> = HashMap::new();
    for raw in &raw {
        let errors_before = count_errors(&checker.problems);
        let name = checker.text(&raw.name, "an entity's name");
        let description = raw
            .description
            .value
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        checker.publishable(&raw.description, "the description");
        if description.is_empty() {
            checker.error(
                raw.description.referenced,
                format!("entity {name:?} needs a description"),
            );
        }
        let slug = match &raw.slug {
            Some(written) if !slug::is_slug(&written.value) => {
                checker.error(
                    written.referenced,
                    format!(
                        "slug {:?} must be lowercase letters, digits and single hyphens (try {:?})",
                        written.value,
                        slug::slugify(&written.value)
                    ),
                );
                String::new()
            }
            Some(written) => written.value.clone(),
            None => slug::slugify(&name),
        };
        if slug.is_empty() && !name.is_empty() && raw.slug.is_none() {
            checker.error(
                raw.name.referenced,
                format!("entity name {name:?} has no letters or digits to make its URL from"),
            );
        }
        let written = |checker: &mut Checker, values: &[Spanned<String>], what: &str| {
            values
                .iter()
                .map(|v| Written {
                    text: checker.text(v, what),
                    position: checker.position(v.referenced),
                })
                .collect::<Vec<_>>()
        };
        let kind = EntityKind::ALL
            .into_iter()
            .find(|k| k.name() == raw.kind.value.trim());
        if kind.is_none() {
            checker.error(
                raw.kind.referenced,
                format!(
                    "unknown kind {:?}: an entity is a person, organisation, legislation or concept",
                    raw.kind.value
                ),
            );
        }
        let kind = kind.unwrap_or(EntityKind::Concept);
        let aliases = written(&mut checker, &raw.aliases, "an alias");
        let abbreviations = written(&mut checker, &raw.abbreviations, "an abbreviation");
        let site_path = format!("{}{slug}/", kind.section().folder());
        let position = checker.position(raw.name.referenced);
        if count_errors(&checker.problems) > errors_before {
            continue;
        }
        if let Some(first) = urls.get(&site_path) {
            checker.error(
                raw.name.referenced,
                format!(
                    "entity {name:?} would be served at /{site_path}, like the entity at line {}; give one a different `slug`",
                    first.line
                ),
            );
            continue;
        }
        urls.insert(site_path.clone(), position);
        list.push(Entity {
            name,
            slug,
            kind,
            aliases,
            abbreviations,
            description,
            site_path,
            position,
        });
    }
    let patterns = patterns(&list, &mut checker.problems);
    let needles: Vec<(PatternId, &str, Case)> = patterns
        .iter()
        .enumerate()
        .map(|(id, p)| {
            let case = match p.form {
                Form::Abbreviation => Case::Exact,
                Form::Name | Form::Alias => list[p.entity].kind.case(),
            };
            (id, p.text.as_str(), case)
        })
        .collect();
    let matcher = Matcher::new(&needles);
    // Kinds too: they decide the case rule, and what entity pages are called.
    let urls: Vec<(&str, &str, EntityKind)> = list
        .iter()
        .map(|e| (e.name.as_str(), e.site_path.as_str(), e.kind))
        .collect();
    let mentions_fingerprint = fingerprint(&(&patterns, urls));
    let entities = Entities {
        list,
        patterns,
        matcher,
        mentions_fingerprint,
    };
    (entities, checker.problems)
}

fn count_errors(problems: &[Diagnostic]) -> usize {
    problems.iter().filter(|p| p.is_error()).count()
}

/// Every name, alias and abbreviation as a pattern. Words claimed twice are
/// warned about and kept for the first claim only, so that mentions go
/// somewhere predictable.
fn patterns(list: &[Entity], problems: &mut Vec<Diagnostic>) -> Vec<Pattern> {
    let mut patterns = Vec::new();
    let mut claims: HashMap<String, EntityId> = HashMap::new();
    for (id, entity) in list.iter().enumerate() {
        let name = Written {
            text: entity.name.clone(),
            position: entity.position,
        };
        let forms = std::iter::once((&name, Form::Name))
            .chain(entity.aliases.iter().map(|a| (a, Form::Alias)))
            .chain(entity.abbreviations.iter().map(|a| (a, Form::Abbreviation)));
        for (written, form) in forms {
            match claims.get(&claim_key(&written.text)) {
                Some(&owner) if owner == id => problems.push(Diagnostic::warning(
                    Code::EntitiesDuplicateName,
                    FILE,
                    written.position,
                    format!("{:?} is listed twice for {:?}", written.text, entity.name),
                )),
                Some(&owner) => problems.push(Diagnostic::warning(
                    Code::EntitiesDuplicateName,
                    FILE,
                    written.position,
                    format!(
                        "{:?} is already claimed by {:?} (line {}); its mentions go there",
                        written.text, list[owner].name, list[owner].position.line
                    ),
                )),
                None => {
                    claims.insert(claim_key(&written.text), id);
                    patterns.push(Pattern {
                        entity: id,
                        text: written.text.clone(),
                        form,
                        position: written.position,
                    });
                }
            }
        }
    }
    patterns
}

/// Warnings for words that matched nothing in any document: an alias or
/// abbreviation that is never used is likely a typo, and an entity never
/// mentioned at all has a page that lists nothing. `matched[p]` tells whether
/// pattern `p` matched anywhere.
pub(crate) fn unmatched(entities: &Entities, matched: &[bool]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut mentioned = vec![false; entities.list.len()];
    for (pattern, &hit) in entities.patterns.iter().zip(matched) {
        mentioned[pattern.entity] |= hit;
    }
    for (id, pattern) in entities.patterns.iter().enumerate() {
        let hit = matched.get(id).copied().unwrap_or(false);
        let entity = &entities.list[pattern.entity];
        match pattern.form {
            Form::Name if !mentioned[pattern.entity] => problems.push(Diagnostic::warning(
                Code::EntitiesUnmentioned,
                FILE,
                pattern.position,
                format!(
                    "{:?} is mentioned nowhere: neither its name nor any alias or abbreviation is found in the text",
                    entity.name
                ),
            )),
            Form::Alias | Form::Abbreviation if !hit => {
                let what = if pattern.form == Form::Alias {
                    "alias"
                } else {
                    "abbreviation"
                };
                problems.push(Diagnostic::warning(
                    Code::EntitiesUnmatchedName,
                    FILE,
                    pattern.position,
                    format!(
                        "the {what} {:?} of {:?} matches nothing in the text",
                        pattern.text, entity.name
                    ),
                ));
            }
            _ => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = r#"
- name: Care Quality Commission
  kind: organisation
  abbreviations: [CQC]
  description: The regulator.
- name: Association of Directors of Adult Social Services
  kind: organisation
  abbreviations: [ADASS]
  description: Directors' association.
- name: Director of Adult Social Services
  kind: concept
  abbreviations: [DASS]
  aliases: [directors of adult social services]
  description: The statutory role.
- name: The King's Fund
  kind: organisation
  description: A think tank.
- name: strength-based practice
  kind: concept
  description: Building on strengths.
- name: The Guardian
  kind: organisation
  description: A newspaper.
"#;

    fn entities() -> Entities {
        let (entities, problems) = parse(FIXTURE);
        assert!(problems.is_empty(), "{problems:?}");
        entities
    }

    fn names(text: &str) -> Vec<(String, &'static str)> {
        let entities = Box::leak(Box::new(entities()));
        entities
            .find(text)
            .into_iter()
            .map(|f| {
                (
                    text[f.start..f.end].to_string(),
                    match entities.list[entities.patterns[f.pattern].entity]
                        .slug
                        .as_str()
                    {
                        "care-quality-commission" => "cqc",
                        "association-of-directors-of-adult-social-services" => "adass",
                        "director-of-adult-social-services" => "dass",
                        "the-kings-fund" => "kings-fund",
                        "strength-based-practice" => "sbp",
                        "the-guardian" => "guardian",
                        other => panic!("unexpected {other}"),
                    },
                )
            })
            .collect()
    }

    fn pair(text: &str, entity: &'static str) -> (String, &'static str) {
        (text.to_string(), entity)
    }

    #[test]
    fn abbreviations_match_whole_words_exactly() {
        assert_eq!(names("The CQC said"), vec![pair("CQC", "cqc")]);
        assert_eq!(names("CQCs and CQC’s and (CQC)."), {
            vec![pair("CQC", "cqc"), pair("CQC", "cqc")]
        });
        assert!(names("cqc or Cqc or ACQC or CQC2").is_empty());
        // The longer abbreviation wins; the shorter is not found inside it.
        assert_eq!(names("ADASS, not DASS"), {
            vec![pair("ADASS", "adass"), pair("DASS", "dass")]
        });
    }

    #[test]
    fn proper_nouns_keep_their_case_and_concepts_do_not() {
        assert!(names("a legal guardian").is_empty());
        assert_eq!(
            names("in The Guardian."),
            vec![pair("The Guardian", "guardian")]
        );
        assert_eq!(
            names("Strength-based practice and strength-based practices"),
            vec![pair("Strength-based practice", "sbp")]
        );
        assert_eq!(
            names("as Directors of adult social services do"),
            vec![pair("Directors of adult social services", "dass")]
        );
    }

    #[test]
    fn apostrophes_of_either_style_match() {
        assert_eq!(
            names("The King’s Fund and The King's Fund"),
            vec![
                pair("The King’s Fund", "kings-fund"),
                pair("The King's Fund", "kings-fund")
            ]
        );
    }

    #[test]
    fn problems_are_placed_in_the_file() {
        let text = "- name: A\n  kind: person\n  description: x\n  aliases: [B]\n- name: C\n  kind: persn\n  description: y\n- name: B\n  kind: person\n  description: z\n";
        let (entities, problems) = parse(text);
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            vec![
                "content/entities.yaml:6:9: error: unknown kind \"persn\": an entity is a person, organisation, legislation or concept",
                "content/entities.yaml:8:9: warning: \"B\" is already claimed by \"A\" (line 1); its mentions go there",
            ],
            "{shown:?}"
        );
        assert_eq!(entities.list.len(), 2, "the sound entities are kept");
        let (entities, problems) = parse("- name: A\n  kind: person\n  descripton: x\n");
        assert!(entities.is_empty());
        assert!(
            problems[0].to_string().starts_with(
                "content/entities.yaml:3:3: error: entities: unknown field `descripton`"
            ),
            "{problems:?}"
        );
        let text = "- name: A\n  kind: person\n  description: x\n  aliases: [B]\n- name: B\n  kind: person\n  description: z\n- name: A\n  kind: concept\n  description: \" \"\n";
        let (entities, problems) = parse(text);
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            vec![
                "content/entities.yaml:10:16: error: entity \"A\" needs a description",
                "content/entities.yaml:5:9: warning: \"B\" is already claimed by \"A\" (line 1); its mentions go there",
            ]
        );
        assert_eq!(entities.list.len(), 2);
    }

    #[test]
    fn unused_words_are_warned_about() {
        let entities = entities();
        let mut matched = vec![false; entities.patterns.len()];
        // Only the CQC's name is found, and DASS's abbreviation.
        for (id, p) in entities.patterns.iter().enumerate() {
            matched[id] = p.text == "Care Quality Commission" || p.text == "DASS";
        }
        let shown: Vec<String> = unmatched(&entities, &matched)
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert!(shown.contains(&"the abbreviation \"CQC\" of \"Care Quality Commission\" matches nothing in the text".to_string()), "{shown:?}");
        assert!(shown.contains(&"the alias \"directors of adult social services\" of \"Director of Adult Social Services\" matches nothing in the text".to_string()), "{shown:?}");
        assert!(
            shown
                .iter()
                .any(|s| s.starts_with("\"The Guardian\" is mentioned nowhere")),
            "{shown:?}"
        );
        assert!(!shown.iter().any(|s| s.contains("\"DASS\"")), "{shown:?}");
    }
}
