"""Composition root: the only package that wires core, stages and dashboard together."""
