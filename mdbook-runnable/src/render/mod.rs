//! One renderer per directive. Each turns the directive's arguments into
//! Markdown with raw HTML around it: mdBook then renders the code blocks
//! (highlighting, Run buttons, hidden lines) exactly as it does its own.

mod compare;
mod exercise;
mod experiment;
mod listing;
mod output;
mod progress;
mod quiz;

use crate::attrs;
use crate::env::{Env, Found, Site};
use std::str::FromStr;

/// Our directives, by the name a page writes after `{{#`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectiveName {
    Exercise,
    Compare,
    Listing,
    Output,
    Quiz,
    Progress,
    Experiment,
    Experiments,
}

impl DirectiveName {
    /// Every one, in the order an "unknown directive" message lists them.
    pub const ALL: [DirectiveName; 8] = [
        DirectiveName::Exercise,
        DirectiveName::Compare,
        DirectiveName::Listing,
        DirectiveName::Output,
        DirectiveName::Quiz,
        DirectiveName::Progress,
        DirectiveName::Experiment,
        DirectiveName::Experiments,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DirectiveName::Exercise => "exercise",
            DirectiveName::Compare => "compare",
            DirectiveName::Listing => "listing",
            DirectiveName::Output => "output",
            DirectiveName::Quiz => "quiz",
            DirectiveName::Progress => "progress",
            DirectiveName::Experiment => "experiment",
            DirectiveName::Experiments => "experiments",
        }
    }
}

impl FromStr for DirectiveName {
    /// Not one of ours (mdBook's, another preprocessor's, or a typo).
    type Err = ();

    fn from_str(name: &str) -> Result<Self, ()> {
        DirectiveName::ALL
            .into_iter()
            .find(|d| d.as_str() == name)
            .ok_or(())
    }
}

/// The block for one directive standing at `site`; what it shows (commands,
/// experiments, edits, cards, warnings) goes into `found`.
pub fn render(
    name: DirectiveName,
    args: &str,
    env: &Env,
    site: Site,
    found: &mut Found,
) -> Result<String, String> {
    let attrs = attrs::parse(args)?;
    match name {
        DirectiveName::Exercise => exercise::render(attrs, env, site, found),
        DirectiveName::Compare => compare::render(attrs, env, site, found),
        DirectiveName::Listing => listing::render(attrs, env, site, found),
        DirectiveName::Output => output::render(attrs, env, site, found),
        DirectiveName::Quiz => quiz::render(attrs, env),
        DirectiveName::Progress => progress::render(attrs, env, site),
        DirectiveName::Experiment => experiment::render_one(attrs, env, site, found),
        DirectiveName::Experiments => experiment::render_all(attrs, env, site, found),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_directive() {
        for name in DirectiveName::ALL {
            assert_eq!(name.as_str().parse(), Ok(name));
        }
        assert_eq!("include".parse::<DirectiveName>(), Err(()));
        assert_eq!("Exercise".parse::<DirectiveName>(), Err(()));
    }
}
