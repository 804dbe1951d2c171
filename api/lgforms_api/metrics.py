"""Prometheus metrics (text format at /metrics): requests, latency, pages rendered, errors by code.

Counted per worker process; with several workers, scrape each or run one worker per container."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("lgforms_requests_total", "HTTP requests", ["method", "route", "status"],
                                registry=self.registry)
        self.latency = Histogram("lgforms_request_seconds", "Request latency", ["route"], registry=self.registry,
                                 buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
        self.pages = Counter("lgforms_pages_rendered_total", "Pages rendered", ["form"], registry=self.registry)
        self.errors = Counter("lgforms_errors_total", "Errors by code", ["code"], registry=self.registry)

    def render(self) -> bytes:
        return generate_latest(self.registry)
