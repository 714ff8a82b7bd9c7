"""The provisioning controller: import an exported profiles file, or app clients from AWS."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.core.secrets import Secret
from app.ui.controllers.session import Session
from app.ui.controllers.tasks import TaskGroup

if TYPE_CHECKING:
    from app.services.aws_import import (
        AwsImporter,
        AwsPlace,
        ClientSummary,
        ImportedProfile,
        PoolSummary,
    )
    from app.services.profile_repository import ProfileRepository
    from app.services.profile_transfer import ImportOutcome, TransferRecord
    from app.services.secret_store import SecretStore

log = logging.getLogger(__name__)


def default_aws_importer() -> AwsImporter:
    """The importer over the diagnosis' signed AWS clients (blocking: botocore loads)."""
    from app.services.admin_reader import AdminReader
    from app.services.aws_import import AwsImporter
    from app.services.aws_session import AwsClients

    return AwsImporter(AdminReader(AwsClients()))


class ProvisioningController(QObject):
    """Reads an export, stores its profiles; lists AWS pools and clients and imports one."""

    profiles_imported = Signal(list)  # list[str]: the names now stored
    problem_reported = Signal(str, str)  # title, plain-language text

    def __init__(
        self,
        session: Session,
        tasks: TaskGroup,
        aws_importer: Callable[[], AwsImporter] = default_aws_importer,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._tasks = tasks
        self._make_importer = aws_importer
        self._importer: AwsImporter | None = None

    # ------------------------------------------------------------------ a file
    async def read_file(self, path: Path) -> list[TransferRecord]:
        """The records of an export file (TransferError says what is wrong)."""
        from app.services.profile_transfer import read_export

        return await self._tasks.blocking(read_export, path)

    async def import_records(
        self,
        records: list[TransferRecord],
        secrets: Mapping[str, Secret],
        *,
        replace_existing: bool = False,
    ) -> list[ImportOutcome]:
        """Store the records (the secrets asked for by name go to the keyring)."""
        from app.services.profile_transfer import import_records

        repo, store = self._services()
        outcomes = await self._tasks.blocking(
            lambda: import_records(
                records, repo, store, lambda r: secrets.get(r.name),
                replace_existing=replace_existing,
            )
        )  # fmt: skip
        stored = [o.name for o in outcomes if o.stored]
        if stored:
            await self._reload_profiles()
            self.profiles_imported.emit(stored)
        return outcomes

    # ------------------------------------------------------------------ AWS
    async def aws_pools(self, place: AwsPlace) -> list[PoolSummary]:
        importer = await self._aws()
        return await self._tasks.blocking(importer.pools, place)

    async def aws_clients(self, place: AwsPlace, pool_id: str) -> list[ClientSummary]:
        importer = await self._aws()
        return await self._tasks.blocking(importer.app_clients, place, pool_id)

    async def aws_import(
        self, place: AwsPlace, pool_id: str, client_id: str, name: str
    ) -> ImportedProfile:
        """DescribeUserPoolClient, the secret into the keyring, the profile into the file."""
        importer = await self._aws()
        repo, store = self._services()
        imported = await self._tasks.blocking(
            importer.import_client, place, pool_id, client_id, name, repo, store
        )
        await self._reload_profiles()
        self.profiles_imported.emit([imported.profile.name])
        return imported

    # ------------------------------------------------------------------ plumbing
    def _services(self) -> tuple[ProfileRepository, SecretStore]:
        repo, store = self._session.repo, self._session.secrets
        if repo is None or store is None:
            raise RuntimeError("Services are still starting; try again.")
        return repo, store

    async def _aws(self) -> AwsImporter:
        if self._importer is None:
            self._importer = await self._tasks.blocking(self._make_importer)
        return self._importer

    async def _reload_profiles(self) -> None:
        repo = self._session.repo
        if repo is not None:
            self._session.profiles_loaded.emit(await self._tasks.blocking(repo.list))
