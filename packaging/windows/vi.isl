; Vietnamese texts of the per-user installer's wizard and uninstaller, written for this project
; (Inno Setup ships no official Vietnamese). Used after Default.isl in treasury-desktop.iss:
;   MessagesFile: "compiler:Default.isl,vi.isl"
; so a message this file does not name (rare errors: registry, shared files, disks) stays in
; English rather than failing the build. Only message names present in every Inno Setup 6
; release are used. UTF-8 with a byte-order mark (Inno Setup before 6.3 needs it).

[LangOptions]
LanguageName=Tiếng Việt
LanguageID=$042A
LanguageCodePage=1258

[Messages]

; *** Titles
SetupAppTitle=Cài đặt
SetupWindowTitle=Cài đặt %1
UninstallAppTitle=Gỡ bỏ
UninstallAppFullTitle=Gỡ bỏ %1
InformationTitle=Thông báo
ConfirmTitle=Xác nhận
ErrorTitle=Lỗi

; *** Before the wizard
SetupAlreadyRunning=Trình cài đặt đang chạy rồi.
WindowsVersionNotSupported=Phiên bản Windows của máy này không chạy được chương trình.
OnlyOnTheseArchitectures=Chương trình chỉ cài được trên Windows dành cho các loại bộ xử lý sau:%n%n%1
WinVersionTooLowError=Chương trình cần %1 phiên bản %2 trở lên.
SetupAppRunningError=%1 đang mở.%n%nHãy đóng mọi cửa sổ của chương trình, rồi bấm OK để tiếp tục, hoặc Hủy để thoát.
UninstallAppRunningError=%1 đang mở.%n%nHãy đóng mọi cửa sổ của chương trình, rồi bấm OK để tiếp tục, hoặc Hủy để thoát.
ErrorCreatingDir=Không tạo được thư mục "%1"

; *** Leaving
ExitSetupTitle=Thoát cài đặt
ExitSetupMessage=Chưa cài xong. Nếu thoát bây giờ, chương trình sẽ không được cài.%n%nCó thể chạy lại trình cài đặt vào lúc khác để cài tiếp.%n%nThoát cài đặt?

; *** Buttons
ButtonBack=< &Quay lại
ButtonNext=&Tiếp >
ButtonInstall=&Cài đặt
ButtonOK=OK
ButtonCancel=Hủy
ButtonYes=&Có
ButtonYesToAll=Có với &tất cả
ButtonNo=&Không
ButtonNoToAll=Khô&ng với tất cả
ButtonFinish=&Xong
ButtonBrowse=&Chọn...
ButtonWizardBrowse=C&họn...
ButtonNewFolder=Tạo thư &mục mới

; *** Language
SelectLanguageTitle=Chọn ngôn ngữ cài đặt
SelectLanguageLabel=Chọn ngôn ngữ dùng trong khi cài đặt:

; *** Common wizard text
ClickNext=Bấm Tiếp để tiếp tục, hoặc Hủy để thoát.
BrowseDialogTitle=Chọn thư mục
BrowseDialogLabel=Chọn một thư mục trong danh sách dưới đây, rồi bấm OK.
NewFolderName=Thư mục mới

; *** Welcome
WelcomeLabel1=Cài đặt [name]
WelcomeLabel2=Trình này sẽ cài [name/ver] vào máy tính.%n%nNên đóng các chương trình khác trước khi tiếp tục.

; *** Where to install
WizardSelectDir=Chọn nơi cài đặt
SelectDirDesc=Cài [name] vào đâu?
SelectDirLabel3=[name] sẽ được cài vào thư mục sau.
SelectDirBrowseLabel=Bấm Tiếp để tiếp tục. Muốn chọn thư mục khác, bấm Chọn.
DiskSpaceMBLabel=Cần còn trống ít nhất [mb] MB trên ổ đĩa.
InvalidPath=Hãy nhập đường dẫn đầy đủ có tên ổ đĩa, ví dụ:%n%nC:\APP%n%nhoặc một đường dẫn mạng dạng:%n%n\\máy-chủ\thư-mục
InvalidDrive=Ổ đĩa hoặc thư mục mạng đã chọn không có hoặc không mở được. Hãy chọn nơi khác.
DiskSpaceWarningTitle=Không đủ chỗ trống
DiskSpaceWarning=Cần ít nhất %1 KB chỗ trống để cài, nhưng ổ đĩa đã chọn chỉ còn %2 KB.%n%nVẫn tiếp tục?
DirNameTooLong=Tên thư mục hoặc đường dẫn quá dài.
InvalidDirName=Tên thư mục không hợp lệ.
BadDirName32=Tên thư mục không được chứa các ký tự sau:%n%n%1
DirExistsTitle=Thư mục đã có
DirExists=Thư mục:%n%n%1%n%nđã có. Vẫn cài vào thư mục này?
DirDoesntExistTitle=Thư mục chưa có
DirDoesntExist=Thư mục:%n%n%1%n%nchưa có. Tạo thư mục này?

; *** Additional tasks (the desktop shortcut)
WizardSelectTasks=Chọn việc làm thêm
SelectTasksDesc=Làm thêm những việc nào?
SelectTasksLabel2=Chọn những việc trình cài đặt làm thêm khi cài [name], rồi bấm Tiếp.

; *** Ready
WizardReady=Sẵn sàng cài đặt
ReadyLabel1=Đã sẵn sàng cài [name] vào máy tính.
ReadyLabel2a=Bấm Cài đặt để cài, hoặc Quay lại để xem lại hay đổi lựa chọn.
ReadyLabel2b=Bấm Cài đặt để cài.
ReadyMemoDir=Nơi cài đặt:
ReadyMemoTasks=Việc làm thêm:

; *** Preparing (the app still open)
WizardPreparing=Chuẩn bị cài đặt
PreparingDesc=Đang chuẩn bị cài [name] vào máy tính.
CannotContinue=Không cài tiếp được. Bấm Hủy để thoát.
ApplicationsFound=Các chương trình sau đang dùng tệp cần cập nhật. Nên để trình cài đặt tự đóng chúng.
ApplicationsFound2=Các chương trình sau đang dùng tệp cần cập nhật. Nên để trình cài đặt tự đóng chúng. Cài xong, trình cài đặt sẽ mở lại chúng.
CloseApplications=&Tự đóng các chương trình này
DontCloseApplications=&Không đóng các chương trình này
ErrorCloseApplications=Trình cài đặt không tự đóng được mọi chương trình. Hãy đóng các chương trình đang dùng tệp cần cập nhật trước khi tiếp tục.

; *** Installing
WizardInstalling=Đang cài đặt
InstallingLabel=Xin chờ trong khi [name] được cài vào máy tính.
StatusClosingApplications=Đang đóng các chương trình...
StatusCreateDirs=Đang tạo thư mục...
StatusExtractFiles=Đang chép tệp...
StatusCreateIcons=Đang tạo lối tắt...
StatusCreateRegistryEntries=Đang ghi thiết lập...
StatusSavingUninstall=Đang lưu thông tin để gỡ bỏ sau này...
StatusRunProgram=Đang hoàn tất...
StatusRestartingApplications=Đang mở lại các chương trình...
StatusRollback=Đang hoàn lại các thay đổi...
SetupAborted=Chưa cài xong.%n%nHãy khắc phục lỗi rồi chạy lại trình cài đặt.

; *** Finished
FinishedHeadingLabel=Đã cài xong [name]
FinishedLabelNoIcons=[name] đã được cài vào máy tính.
FinishedLabel=[name] đã được cài vào máy tính. Mở chương trình bằng các lối tắt vừa tạo.
ClickFinish=Bấm Xong để đóng trình cài đặt.
RunEntryExec=Mở %1
RunEntryShellExec=Xem %1

; *** Uninstalling
ConfirmUninstall=Gỡ bỏ hoàn toàn %1 khỏi máy tính?%n%nDữ liệu chứng từ (thư mục dữ liệu) và bản sao lưu không bị xóa.
UninstallStatusLabel=Xin chờ trong khi %1 được gỡ khỏi máy tính.
UninstalledAll=Đã gỡ %1 khỏi máy tính.
UninstalledMost=Đã gỡ xong %1.%n%nCòn vài mục không gỡ được; có thể tự xóa chúng.
WizardUninstalling=Đang gỡ bỏ
StatusUninstalling=Đang gỡ %1...

[CustomMessages]
NameAndVersion=%1 phiên bản %2
AdditionalIcons=Lối tắt thêm:
CreateDesktopIcon=Tạo lối tắt trên &màn hình nền
ProgramOnTheWeb=%1 trên mạng
UninstallProgram=Gỡ bỏ %1
LaunchProgram=Mở %1
