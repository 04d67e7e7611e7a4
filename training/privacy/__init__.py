"""Personal data: export, erasure and retention. It reads and deletes the rows of people and
progress, so it sits above them (safety itself sits beside content, below them)."""
