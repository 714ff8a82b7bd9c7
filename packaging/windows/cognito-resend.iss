; Inno Setup 6 script: setup.exe for Cognito Resend on Windows (per-user or all users).
;
; Built by the release workflow (.github/workflows/release.yml, windows job); never run on
; this project's own CI (Linux only). By hand, on Windows with Python 3.11:
;   py -3.11 -m venv .venv && .venv\Scripts\pip install -e ".[package]"
;   .venv\Scripts\pyinstaller --noconfirm packaging\cognito_resend.spec
;       -> dist\cognito-resend\cognito-resend.exe (onedir, windowed)
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\cognito-resend.iss
;       -> dist\cognito-resend-0.1.0-windows-x64-setup.exe
; Pass the version from pyproject.toml: python -c "from importlib.metadata import version; print(version('cognito-resend'))"
; See packaging/README.md (icon, signing, self-test).

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=<version from pyproject.toml> cognito-resend.iss
#endif
#define AppName "Cognito Resend"
#define AppId "cognito-resend"
#define AppExe "cognito-resend.exe"
#define SourceDir "..\..\dist\cognito-resend"

[Setup]
; Never change AppId: Windows uses it to find the installed copy for upgrades.
AppId={{6F3A2C1E-2B7D-4E9A-9C35-0D4E8B1F7A21}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Cognito Resend maintainers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Staff without admin rights can install for themselves; admins may choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename={#AppId}-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
#if FileExists("cognito-resend.ico")
SetupIconFile=cognito-resend.ico
#endif
; Code signing (optional): configure a sign tool in the IDE or with /S on the command line,
; e.g. ISCC "/Ssigntool=signtool.exe sign /fd sha256 /tr http://timestamp.digicert.com /td sha256 /a $f"
; then uncomment:
; SignTool=signtool

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Resend Amazon Cognito sign-up confirmation codes"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the installer put there; the user's history, profiles and log (in %LOCALAPPDATA%)
; and keyring entries stay, so a reinstall keeps them.
Type: filesandordirs; Name: "{app}\_internal"
