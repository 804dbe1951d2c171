"""Prometheus metrics (text format at /metrics): requests, latency, pages rendered, errors by code.

With several workers (``lgforms serve --workers N``) every worker writes its samples to files in
``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's multiprocess mode, set up by ``lgforms serve``)
and a scrape of any worker returns the sum over all of them. Without that directory (one process,
``create_app`` in a program of one's own) the metrics live in the process's memory."""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.multiprocess = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
        self.requests = Counter("lgforms_requests_total", "HTTP requests", ["method", "route", "status"],
                                registry=self.registry)
        self.latency = Histogram("lgforms_request_seconds", "Request latency", ["route"], registry=self.registry,
                                 buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
        self.pages = Counter("lgforms_pages_rendered_total", "Pages rendered", ["form"], registry=self.registry)
        self.errors = Counter("lgforms_errors_total", "Errors by code", ["code"], registry=self.registry)
        self.issues = Counter("lgforms_issues_total", "Certificate numbers by outcome", ["outcome"],
                              registry=self.registry)

    def render(self) -> bytes:
        if self.multiprocess:
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)
