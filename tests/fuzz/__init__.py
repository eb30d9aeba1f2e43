"""Fuzzing the readers: mutated records in, every one accounted for, nothing personal out."""
