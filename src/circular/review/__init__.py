"""review: element-labelled text of .docx files, for diffs and proofreading."""
