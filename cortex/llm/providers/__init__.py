"""Model providers. Each is one module registered in cortex.llm.registry."""
