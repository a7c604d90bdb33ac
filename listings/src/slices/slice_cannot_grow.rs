// A slice is a view: it may change the elements it sees, never how many
// there are. Only the owner, through `&mut Vec`, can grow the vector.
fn add_tags(tags: &mut [String], more: &[&str]) {
    for m in more {
        tags.push(m.to_string()); // E0599: there is no `push` on `[String]`
    }
}

fn main() {
    let mut tags = vec![String::from("go")];
    add_tags(&mut tags, &["rust"]);
}
