"""Protocol-faithful local HTTP servers (Anthropic, OpenAI-compatible, Ollama) with fault injection."""
