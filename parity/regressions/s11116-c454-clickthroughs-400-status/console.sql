INSERT IGNORE INTO `account` (`id`,`name`,`is_deleted`,`created_at`) VALUES
(1,'ete 62',0,'2026-07-06 21:43:44'),
(2,'Zeta 49',1,'2027-02-01 11:54:51');
INSERT IGNORE INTO `api` (`id`,`account_id`,`name`,`int_key`,`api_key`,`rph`,`r_count`,`is_deleted`,`created_at`) VALUES
(1,1,'&copy; &nbsp; &unknown; &AMP;','Int-S11116-A1-0','api-s11116-a1-0-3606',1000000,73,0,'2026-08-04 22:22:46'),
(2,1,'http://example.com/path?x=1&y=2','Int-S11116-A1-1x','api-s11116-a1-1-8669',1000000,16,0,'2026-08-01 13:28:40'),
(3,1,'zeta 15','Int-S11116-A1-2Ä','api-s11116-a1-2-2463',1,81,0,'2025-12-01 15:17:54'),
(4,1,'Oak & Co 14','Int-S11116-A1-3','api-s11116-a1-3-9436',1000000,63,1,'2026-10-23 03:30:55'),
(5,2,'<![CDATA[x]]>','Int-S11116-A2-0Ä','api-s11116-a2-0-3028',1000000,92,0,'2026-01-20 10:59:12');
INSERT IGNORE INTO `advertiser` (`id`,`account_id`,`name`,`website`,`industry`,`is_deleted`,`created_at`,`updated_at`) VALUES
(40,1,'été','ete 95','nul\0byte',0,'2026-10-13 11:51:17','2027-06-26 02:51:46');
