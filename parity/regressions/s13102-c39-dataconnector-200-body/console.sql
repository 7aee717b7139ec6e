INSERT IGNORE INTO `account` (`id`,`name`,`is_deleted`,`created_at`) VALUES
(1,'Ácme 76',0,'2023-08-21 18:16:10'),
(2,'Ácme 35',0,'2023-01-03 11:16:08'),
(3,'nul\0byte',0,'2022-11-24 16:24:20');
INSERT IGNORE INTO `api` (`id`,`account_id`,`name`,`int_key`,`api_key`,`rph`,`r_count`,`is_deleted`,`created_at`) VALUES
(1,1,'acme  95','Int-S13102-A1-0','api-s13102-a1-0-7616',1000000,70,0,'2023-01-29 11:37:17'),
(2,1,'été 57','Int-S13102-A1-1+ %&=#?/','api-s13102-a1-1-8968',0,42,0,'2023-01-24 00:24:11'),
(3,1,']]>','Int-S13102-A1-2+ %&=#?/','api-s13102-a1-2-1937',1000000,67,1,'2023-08-13 07:37:27'),
(4,2,'zeta','Int-S13102-A2-0','api-s13102-a2-0-2983',1000000,98,0,'2023-04-02 15:54:45'),
(5,2,'acme  61','Int-S13102-A2-1','api-s13102-a2-1-7715',1000000,0,0,'2023-07-26 19:29:44'),
(6,2,'  padded  ','Int-S13102-A2-2x','api-s13102-a2-2-8110',0,28,0,'2022-11-20 22:18:45'),
(7,2,'http://example.com/path?x=1&y=2','Int-S13102-A2-3+ %&=#?/','api-s13102-a2-3-9060',1000000,44,1,'2023-05-16 09:59:59'),
(8,3,'Ärger','Int-S13102-A3-0Ä','api-s13102-a3-0-9978',1000000,78,0,'2023-09-05 16:45:14'),
(9,3,'Oak & Co 19','Int-S13102-A3-1é😀','api-s13102-a3-1-5119',1000000,99,0,'2023-03-23 17:26:36'),
(10,3,'&','Int-S13102-A3-2Ä','api-s13102-a3-2-1399',0,35,0,'2023-08-22 09:28:16'),
(11,3,'été]]>','Int-S13102-A3-3x','api-s13102-a3-3-6492',1000000,47,1,'2023-12-30 03:40:47');
INSERT IGNORE INTO `advertiser` (`id`,`account_id`,`name`,`website`,`industry`,`is_deleted`,`created_at`,`updated_at`) VALUES
(313817,1,'Ácme 12',NULL,NULL,0,'2023-05-26 13:27:55',NULL);
INSERT IGNORE INTO `campaign` (`id`,`account_id`,`advertiser_id`,`name`,`status`,`start_date`,`end_date`,`budget`,`impression_goal`,`is_deleted`,`created_at`,`updated_at`) VALUES
(4399854,1,313817,'a/b/c','draft','2024-01-27','0000-00-00','9999999999.99',0,0,'2023-01-08 00:12:30','2024-04-11 06:58:56');
INSERT IGNORE INTO `placement` (`id`,`campaign_id`,`site_id`,`ad_html5_id`,`asset_id`,`status`,`is_deleted`) VALUES
(13803127,4399854,13803126,NULL,42,'active',0);
