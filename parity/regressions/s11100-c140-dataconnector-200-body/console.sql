INSERT IGNORE INTO `account` (`id`,`name`,`is_deleted`,`created_at`) VALUES
(1,'<b>bold</b>',0,'2024-12-06 06:38:55'),
(2,'acme 34',1,'2023-11-28 16:42:30');
INSERT IGNORE INTO `api` (`id`,`account_id`,`name`,`int_key`,`api_key`,`rph`,`r_count`,`is_deleted`,`created_at`) VALUES
(1,1,'zetapercent %20 +plus','Int-S11100-A1-0x','api-s11100-a1-0-1877',1000000,46,0,'2024-02-10 09:01:36'),
(2,1,'&lt;tag&gt;','Int-S11100-A1-1x','api-s11100-a1-1-4047',2,3,0,'2024-06-08 07:00:15'),
(3,1,'Zeta','Int-S11100-A1-2x','api-s11100-a1-2-1949',1000000,65,1,'2023-12-30 16:17:21'),
(4,2,'acme@handle','Int-S11100-A2-0','api-s11100-a2-0-3880',1000000,52,0,'2024-08-14 19:58:34');
