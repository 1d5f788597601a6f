"""The model layer: LLMRouter, task types, providers."""
