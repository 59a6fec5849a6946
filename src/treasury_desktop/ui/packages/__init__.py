"""The window's countersigning parts: «Gửi ký», «Nhận chứng từ», «Nhận từ máy khác»."""
