-- 0007_user_keys: the index entries "username" and "sub" are the user's own keys, which users'
-- primary key and its unique sub index already keep in order: ListUsers filters on them and
-- FindUserByIndex read users itself, and user_index no longer holds them (two rows and four
-- B-tree entries less per user).
DELETE FROM user_index WHERE name IN ('username', 'sub');
