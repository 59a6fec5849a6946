-- How many vouchers each folder holds, kept by triggers as vouchers come, move and go: the
-- window reads its folder counts from these few rows after every change, instead of counting
-- 100,000 vouchers again (the folder is migration 0001's generated column).
CREATE TABLE folder_counts (
    folder TEXT PRIMARY KEY,
    count  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO folder_counts (folder, count) SELECT folder, count(*) FROM vouchers GROUP BY folder;
CREATE TRIGGER folder_counts_ai AFTER INSERT ON vouchers BEGIN
    INSERT INTO folder_counts (folder, count) VALUES (new.folder, 1)
        ON CONFLICT (folder) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER folder_counts_ad AFTER DELETE ON vouchers BEGIN
    UPDATE folder_counts SET count = count - 1 WHERE folder = old.folder;
END;
CREATE TRIGGER folder_counts_au AFTER UPDATE OF status, problems ON vouchers
WHEN old.folder IS NOT new.folder BEGIN
    UPDATE folder_counts SET count = count - 1 WHERE folder = old.folder;
    INSERT INTO folder_counts (folder, count) VALUES (new.folder, 1)
        ON CONFLICT (folder) DO UPDATE SET count = count + 1;
END;
