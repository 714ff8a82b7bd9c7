"""The window's controllers, built once from the service factories and closed together."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from app.ui.controllers.admin_access import AdminAccess
from app.ui.controllers.diagnosis import DiagnosisController
from app.ui.controllers.export import ExportController
from app.ui.controllers.profiles import ProfilesController
from app.ui.controllers.provisioning import ProvisioningController
from app.ui.controllers.sandbox import SandboxController
from app.ui.controllers.sending import SendingController
from app.ui.controllers.session import Session
from app.ui.controllers.signup import SignUpController
from app.ui.controllers.tasks import TaskGroup
from app.ui.controllers.trigger import TriggerController
from app.ui.controllers.types import ServiceFactories

if TYPE_CHECKING:
    from app.ui.controllers.batch import BatchController


class WindowControllers:
    """Holds each controller; they share one session and one task group.

    Not a façade: the window talks to `sending`, `profiles`, ... directly and wires
    their signals in its one `_connect_signals` method.
    """

    def __init__(self, factories: ServiceFactories) -> None:
        self.tasks = TaskGroup()
        self.session = Session(factories, self.tasks)
        self.profiles = ProfilesController(self.session, self.tasks)
        self.sandbox = SandboxController(self.session, self.tasks)
        self.admin = AdminAccess(self.session, self.profiles)
        self.diagnosis = DiagnosisController(self.tasks, self.admin.services, self.admin.target)
        self.sending = SendingController(
            self.session, self.profiles, self.sandbox, self.tasks,
            diagnosis_for=self.diagnosis.for_send,
        )  # fmt: skip
        self.signup = SignUpController(self.session, self.profiles, self.sandbox, self.tasks)
        self.trigger = TriggerController(self.session, self.profiles, self.tasks)
        self.export = ExportController(self.session, self.tasks)
        # -- support view (issue 14): its own debounced diagnosis, so it never competes with
        # the developer form's card for the one "newest request"; same admin services.
        self.support_diagnosis = DiagnosisController(
            self.tasks, self.admin.services, self.admin.target
        )
        self._batch: BatchController | None = None
        # Team provisioning (keyring14): import an exported file or from an AWS account.
        self.provisioning = ProvisioningController(self.session, self.tasks)

    def start(self) -> asyncio.Task[None]:
        """Load the services in the background (`session.services_ready` says when done)."""
        return self.session.start()

    def batch(self) -> BatchController:
        """The batch controller, built on first use (its module loads with the batch window)."""
        if self._batch is None:
            from app.ui.controllers.batch import BatchController

            self._batch = BatchController(self.session, self.profiles, self.export, self.tasks)
        return self._batch

    async def aclose(self, timeout: float = 15.0) -> None:
        """Let in-flight sends and batches end, then close the services."""
        await self.session.aclose(timeout)
        self.admin.close()
