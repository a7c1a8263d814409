"""Watching official sources: fetch politely, judge a capture, extract its text."""
