"""What supervisors read: compliance per agency-year, the expected-publisher registry, review
decisions, and the renderers (terminal, HTML, Excel, charts, flag pages, exports)."""
