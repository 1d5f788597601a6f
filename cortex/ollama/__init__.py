"""Ollama: native API client, install detection and installer, service start-up, model catalog."""
