; Inno Setup script: a per-user installer for Windows (no administrator rights needed).
; Build on Windows after the PyInstaller one-folder build (see the README, "Packages"):
;   iscc packaging\windows\treasury-desktop.iss
; AppVersion must equal pyproject.toml's version; tests/packaging checks it and the file names.
#define AppName "Chứng từ Kho bạc"
#define AppVersion "0.1.0"
#define AppExe "treasury-desktop.exe"
#define DistDir "..\..\dist\treasury-desktop"

[Setup]
AppId={{6F1C2E4A-8B7D-4C3A-9E21-5D0F7A1B2C3D}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=treasury-desktop
DefaultDirName={autopf}\TreasuryDesktop
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per user: installs under %LOCALAPPDATA%\Programs, writes only HKCU, asks no UAC question.
PrivilegesRequired=lowest
; No "for me / for all users" question (its texts differ between Inno Setup 6 releases, and a
; school's accountant should not meet it); IT staff can still run the installer with /ALLUSERS.
PrivilegesRequiredOverridesAllowed=commandline
; Vietnamese on a Vietnamese Windows, English on an English one; asks only when neither matches.
ShowLanguageDialog=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=treasury-desktop-{#AppVersion}-setup
SetupIconFile=icon.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
; Inno Setup ships no official Vietnamese: vi.isl (beside this script) holds our own texts for
; what the wizard and the uninstaller show, over Default.isl (anything it leaves out stays
; English). Vietnamese first: the language when Windows speaks neither.
Name: "vi"; MessagesFile: "compiler:Default.isl,vi.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Messages]
en.ConfirmUninstall=Are you sure you want to completely remove %1?%n%nThe vouchers (the data folder) and their backups are not removed.

[Files]
Source: "{#DistDir}\{#AppExe}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#DistDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
