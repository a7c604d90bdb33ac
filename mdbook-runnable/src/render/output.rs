//! `{{#output PATH cmd="..."}}`: a program's recorded output, from the file
//! that CI checks against the real program, never typed by hand.

use crate::anchors;
use crate::attrs::Attrs;
use crate::env::Env;
use crate::markdown::{escape_html, fenced};

pub fn render(mut attrs: Attrs, env: &Env) -> Result<String, String> {
    let path = attrs.one_positional(
        "output",
        "the output file, e.g. {{#output go/slices/testdata/alias.out cmd=\"...\"}}",
    )?;
    let cmd = attrs.take("cmd");
    attrs.finish("output", &["cmd"])?;
    let Some(cmd) = cmd else {
        return Err(format!(
            "{{{{#output {path}}}}} needs cmd=\"...\": the command that printed it"
        ));
    };
    let output = anchors::read_file(&env.book_root, &path)?;
    let id = env.output_command(&cmd, &path)?;
    let mut out = format!(
        "<div class=\"runnable-output\" data-source=\"{}\" data-command=\"{}\">\n\n",
        escape_html(&path),
        escape_html(&id)
    );
    out.push_str(&fenced("console", &format!("$ {cmd}\n{output}")));
    out.push_str("\n</div>\n");
    Ok(out)
}
