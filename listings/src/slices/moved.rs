// `with_tags` takes the vector by value: the caller gives it away, and gets
// the grown one back. The old name is no longer usable, so there is no stale
// header to read, unlike Go's `addTags(tags, ...)` without `tags =`.
fn with_tags(mut tags: Vec<String>, more: &[&str]) -> Vec<String> {
    tags.extend(more.iter().map(|m| m.to_string()));
    tags
}

fn main() {
    let tags = vec![String::from("go")];
    let grown = with_tags(tags, &["rust"]);
    println!("{tags:?} {grown:?}"); // E0382: `tags` was moved into `with_tags`
}
