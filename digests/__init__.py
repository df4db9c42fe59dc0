"""Progress digests: what changed in the initiatives a person follows since their last one,
each recipient's digest read through the querysets and rules of that recipient's pages."""
