"""A local Cognito-compatible endpoint over real HTTP; imports nothing from the rest of app.

Modules: ``server`` (Sandbox, serve_forever), ``control`` (SandboxControl, for a sandbox in
another process; urllib only, no moto import), ``model`` (the records both hand out),
``faults`` (the faults a tester can provoke, with their table), ``resend`` (the
ResendConfirmationCode behaviour), ``wsgi`` (the HTTP front), ``directory`` and ``seed``
(moto's in-memory backend underneath), ``state`` (inbox, attempt counters, fault queue),
``signup`` (SignUp, ConfirmSignUp), ``codes`` (the one valid code per user), ``clock``
(sandbox time), ``accounts`` (user writes into moto), ``front`` (routes sign-up and the
clock/codes endpoints), ``cors`` (CORS on every answer), ``keepalive`` (HTTP/1.1
persistent connections), ``trigger`` (the local CustomMessage trigger, retries included),
``pools`` (the seeded pools, clients and users), ``link`` (confirm-by-link mails),
``auth`` (SigV4 keys and checks), ``signed`` (the front for signed calls), ``admin`` (the
admin calls moto lacks), ``logs`` (CloudWatch Logs: log delivery, bounces, trigger runs).
"""
