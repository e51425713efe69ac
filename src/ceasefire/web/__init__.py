"""The web app and API (FastAPI, Jinja2, Leaflet served locally): see ``ceasefire.web.app``."""

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
