"""The MkDocs plugin: `plugins: - archdsl: {specs: [...]}` adds the architecture pages to a site."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..errors import ArchError
from ..workspaces import load
from .framework import NAME as FRAMEWORK
from .framework import is_framework_page
from .plan import Plan, plan_site

log = logging.getLogger("mkdocs.plugins.archdsl")
NEEDED_EXTENSIONS = ("tables", "attr_list", "md_in_html", "toc")


class ArchConfig(Config):
    specs = c.ListOfItems(c.Type(str), default=[])  # files or folders, relative to mkdocs.yml
    prefix = c.Type(str, default="architecture")  # where the pages go inside docs
    title = c.Type(str, default="Architecture")
    diagrams = c.Type(bool, default=True)


class ArchPlugin(BasePlugin[ArchConfig]):
    def on_config(self, config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").resolve().parent
        self.paths = [(base / spec).resolve() for spec in self.config.specs]
        if not self.paths:
            raise PluginError("archdsl: give the specs to publish: plugins: - archdsl: {specs: [specs/]}")
        # a site with the framework's page of its own (this repository's) links the rules there
        own = FRAMEWORK if is_framework_page(Path(config.docs_dir) / FRAMEWORK) else None
        self.plan = self._plan(config.use_directory_urls, own)
        for line in self.plan.failed:  # published without it, its page says why (mkdocs --strict fails)
            log.warning(f"archdsl: {line}")
        for ext in NEEDED_EXTENSIONS:
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)
        config.extra_css.append(self.plan.css)
        config.extra_javascript.extend(self.plan.scripts)
        if config.nav is not None:  # a hand-written nav: the architecture pages go at its end
            config.nav.append({self.config.title: self.plan.nav})
        elif self.plan.nav_is_site:  # the architecture pages are the whole site
            config.nav = self.plan.nav
        return config

    def _plan(self, directory_urls: bool, framework: str | None) -> Plan:
        try:
            for path in self.paths:
                if not path.exists():
                    raise PluginError(f"archdsl: {path}: no such file or folder")
            workspaces = [load(path) for path in self.paths]  # SpecError when one cannot be loaded
            return plan_site(workspaces, prefix=self.config.prefix, title=self.config.title,
                             diagrams=self.config.diagrams, progress=log.info,
                             directory_urls=directory_urls, framework=framework)
        except ArchError as exc:
            details = "\n".join(f"  {f.span}: {f.code} {f.message}" for f in getattr(exc, "findings", [])[:20])
            raise PluginError(f"archdsl: the specs cannot be published: {exc}\n{details}".rstrip()) from None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for uri, content in sorted(self.plan.files.items()):
            files.append(File.generated(config, uri, content=content))
        return files

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Callable[..., Any]) -> Any:
        for path in self.paths:
            server.watch(str(path))
        return server
