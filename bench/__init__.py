"""Benchmarks: they seed data and print figures. They are not tests."""
