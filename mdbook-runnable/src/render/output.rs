//! `{{#output PATH cmd="..."}}`: a program's recorded output, from the file
//! that CI checks against the real program, never typed by hand.
//!
//! `checked_by="FILE:TEST"` is for output that is normalised by a test rather
//! than printed as is (a `go vet` report without its columns, a generator's
//! summary): the command is shown but is not one the book can run, so it is
//! not in the commands manifest, and the block names the test that checks the
//! file. The test must exist (`func TEST(` in a Go file, `fn TEST(` in Rust).

use crate::anchors;
use crate::attrs::Attrs;
use crate::env::{Env, Found, Site};
use crate::markdown::{escape_html, fenced};
use crate::strings;

pub fn render(
    mut attrs: Attrs,
    env: &Env,
    site: Site,
    found: &mut Found,
) -> Result<String, String> {
    let path = attrs.one_positional(
        "output",
        "the output file, e.g. {{#output go/slices/testdata/alias.out cmd=\"...\"}}",
    )?;
    let cmd = attrs.take("cmd");
    let checked_by = attrs.take("checked_by");
    attrs.finish("output", &["cmd", "checked_by"])?;
    let Some(cmd) = cmd else {
        return Err(format!(
            "{{{{#output {path}}}}} needs cmd=\"...\": the command that printed it"
        ));
    };
    let output = anchors::read_file(&env.book_root, &path)?;
    let (command_attr, note) = match checked_by {
        Some(test) => {
            check_test_exists(&env.book_root, &test)?;
            (
                String::new(),
                format!(
                    "<p class=\"runnable-label\">{}</p>\n",
                    env.catalogue.fill(
                        strings::CHECKED_BY,
                        &[("test", &format!("<code>{}</code>", escape_html(&test)))]
                    )
                ),
            )
        }
        None => {
            let id = found.output_command(&env.book_root, site, &cmd, &path)?;
            (
                format!(" data-command=\"{}\"", escape_html(&id)),
                String::new(),
            )
        }
    };
    let mut out = format!(
        "<div class=\"runnable-output\" data-source=\"{}\"{command_attr}>\n\n",
        escape_html(&path),
    );
    out.push_str(&fenced("console", &format!("$ {cmd}\n{output}")));
    out.push_str(&note);
    out.push_str("\n</div>\n");
    Ok(out)
}

/// `FILE:TEST` must name a test function that exists in FILE.
fn check_test_exists(root: &std::path::Path, reference: &str) -> Result<(), String> {
    let Some((file, test)) = reference.rsplit_once(':') else {
        return Err(format!(
            "checked_by=\"{reference}\" must be FILE:TEST, e.g. go/value/value_test.go:TestVetReportsEveryCopiedLock"
        ));
    };
    let source = anchors::read_file(root, file)?;
    let declared = [format!("func {test}("), format!("fn {test}(")];
    if declared.iter().any(|d| source.contains(d.as_str())) {
        Ok(())
    } else {
        Err(format!("checked_by: {file} has no test `{test}`"))
    }
}
