"""The HTTP API of the library: FastAPI, built by `api.app.create_app(settings)`."""
