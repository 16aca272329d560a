"""The platform's text rules, each written once: link grammar and safe targets, document
symbols and resolutions, Charter mentions, Arabic folding. The parsers, the mention
linker, the validators and search all use these modules."""
