"""Rule packs: the pack schema, the condition language and the engine that evaluates them."""
