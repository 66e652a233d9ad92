"""The chat transport and process wiring: adapters, config, scheduler, API, CLI, emulator."""
