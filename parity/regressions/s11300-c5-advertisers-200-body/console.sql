INSERT IGNORE INTO `account` (`id`,`name`,`is_deleted`,`created_at`) VALUES
(1,'Ärger 92',0,'2025-08-29 23:09:27'),
(2,'Oak & Co 64',1,'2025-08-09 22:42:12');
INSERT IGNORE INTO `api` (`id`,`account_id`,`name`,`int_key`,`api_key`,`rph`,`r_count`,`is_deleted`,`created_at`) VALUES
(1,1,'acme 9','Int-S11300-A1-0','api-s11300-a1-0-7804',1000000,98,0,'2025-12-05 09:21:16'),
(2,1,'acme cr\rlf\r\n','Int-S11300-A1-1x','api-s11300-a1-1-4967',2,52,0,'2025-04-27 03:08:14'),
(3,1,'Zeta','Int-S11300-A1-2x','api-s11300-a1-2-9562',1000000,61,1,'2025-09-27 20:31:48'),
(4,2,'ACME 36','Int-S11300-A2-0Ä','api-s11300-a2-0-9761',1000000,22,0,'2025-08-06 22:58:27');
INSERT IGNORE INTO `advertiser` (`id`,`account_id`,`name`,`website`,`industry`,`is_deleted`,`created_at`,`updated_at`) VALUES
(36,1,'&#xFFFE;&#xFDD0;&#1114111;&#127;','@handle','日本語の名前',0,'2026-01-12 16:27:19',NULL);
