"""Bundled data (package nianbao.data): the sample corpus, the mock portal, the demo registries."""
