INSERT IGNORE INTO `account` (`id`,`name`,`is_deleted`,`created_at`) VALUES
(1,'acme 73',0,'2025-01-31 18:21:24'),
(2,'Zeta 74',1,'2024-10-30 09:16:46');
INSERT IGNORE INTO `api` (`id`,`account_id`,`name`,`int_key`,`api_key`,`rph`,`r_count`,`is_deleted`,`created_at`) VALUES
(1,1,'&amp;','Int-S1-A1-0Ä','api-s1-a1-0-1746',1000000,37,0,'2024-10-20 21:43:37'),
(2,1,'&lt;tag&gt;','Int-S1-A1-1Ä','api-s1-a1-1-7563',3,52,0,'2023-12-05 07:42:19'),
(3,1,'http://example.com/path?x=1&y=2','Int-S1-A1-2','api-s1-a1-2-7803',1000000,3,1,'2024-08-11 22:18:52'),
(4,2,'acme123','Int-S1-A2-0x','api-s1-a2-0-6649',1000000,85,0,'2025-02-03 12:24:34');
INSERT IGNORE INTO `advertiser` (`id`,`account_id`,`name`,`website`,`industry`,`is_deleted`,`created_at`,`updated_at`) VALUES
(69301,1,'nul\0byte','Acme',NULL,0,'2024-05-12 14:33:53','2025-05-19 06:27:07');
INSERT IGNORE INTO `campaign` (`id`,`account_id`,`advertiser_id`,`name`,`status`,`start_date`,`end_date`,`budget`,`impression_goal`,`is_deleted`,`created_at`,`updated_at`) VALUES
(69339,1,69301,'a/b/c','paused','2025-10-26','2025-11-30','9999999999.99',0,0,'2024-04-02 10:37:31','2025-10-03 19:45:04');
INSERT IGNORE INTO `site` (`id`,`campaign_id`,`name`,`url`,`is_deleted`) VALUES
(152033,69339,'עברית','Acme&',0);
INSERT IGNORE INTO `placement` (`id`,`campaign_id`,`site_id`,`ad_html5_id`,`asset_id`,`status`,`is_deleted`) VALUES
(357220,69344,152033,NULL,9,'active',0);
