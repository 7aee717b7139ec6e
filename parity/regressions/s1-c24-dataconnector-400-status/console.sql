INSERT IGNORE INTO `account` (`id`,`name`,`is_deleted`,`created_at`) VALUES
(1,'acme 73',0,'2025-01-31 18:21:24'),
(2,'Zeta 74',1,'2024-10-30 09:16:46');
INSERT IGNORE INTO `api` (`id`,`account_id`,`name`,`int_key`,`api_key`,`rph`,`r_count`,`is_deleted`,`created_at`) VALUES
(1,1,'&amp;','Int-S1-A1-0Ä','api-s1-a1-0-1746',1000000,37,0,'2024-10-20 21:43:37'),
(2,1,'&lt;tag&gt;','Int-S1-A1-1Ä','api-s1-a1-1-7563',3,52,0,'2023-12-05 07:42:19'),
(3,1,'http://example.com/path?x=1&y=2','Int-S1-A1-2','api-s1-a1-2-7803',1000000,3,1,'2024-08-11 22:18:52'),
(4,2,'acme123','Int-S1-A2-0x','api-s1-a2-0-6649',1000000,85,0,'2025-02-03 12:24:34');
