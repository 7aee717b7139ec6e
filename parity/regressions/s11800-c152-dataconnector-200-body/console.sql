INSERT IGNORE INTO `account` (`id`,`name`,`is_deleted`,`created_at`) VALUES
(1,'Oak & Co',0,'2027-11-20 14:35:03'),
(2,'Acme',1,'2027-12-20 00:08:21'),
(3,'sep  ',0,'2027-12-15 11:24:07'),
(4,'&#39;&#x41;&#0;',0,'2028-01-17 19:09:43');
INSERT IGNORE INTO `api` (`id`,`account_id`,`name`,`int_key`,`api_key`,`rph`,`r_count`,`is_deleted`,`created_at`) VALUES
(1,1,'1e3','Int-S11800-A1-0','api-s11800-a1-0-5018',1000000,10,0,'2027-03-18 14:03:18'),
(2,1,'trailing space ','Int-S11800-A1-1','api-s11800-a1-1-7431',1000000,73,0,'2027-06-25 05:55:53'),
(3,1,'acme  94','Int-S11800-A1-2','api-s11800-a1-2-2467',3,78,0,'2027-09-02 04:43:04'),
(4,1,'zeta 78','Int-S11800-A1-3x','api-s11800-a1-3-2730',1000000,84,1,'2027-09-13 20:08:41'),
(5,2,'Ärger 35','Int-S11800-A2-0','api-s11800-a2-0-4914',1000000,81,0,'2028-02-10 05:22:06'),
(6,3,'ete 7','Int-S11800-A3-0','api-s11800-a3-0-4865',1000000,86,0,'2027-03-28 09:26:58'),
(7,3,'@handle','Int-S11800-A3-1Ä','api-s11800-a3-1-4356',1000000,7,0,'2027-05-14 17:17:25'),
(8,3,'acme ','Int-S11800-A3-2Ä','api-s11800-a3-2-6628',3,88,0,'2027-07-19 16:10:14'),
(9,3,'line\nbreak','Int-S11800-A3-3Ä','api-s11800-a3-3-7774',1000000,100,1,'2028-01-07 09:53:42'),
(10,4,'<b>bold</b>','Int-S11800-A4-0','api-s11800-a4-0-6462',1000000,76,0,'2027-12-04 13:05:03'),
(11,4,'Oak & Co 56','Int-S11800-A4-1','api-s11800-a4-1-7913',1000000,91,0,'2027-04-04 21:16:22'),
(12,4,'Acmeéééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé','Int-S11800-A4-2x','api-s11800-a4-2-1211',0,48,0,'2027-10-29 21:22:51'),
(13,4,'1e3','Int-S11800-A4-3','api-s11800-a4-3-1313',1000000,27,1,'2027-02-08 04:09:20');
INSERT IGNORE INTO `advertiser` (`id`,`account_id`,`name`,`website`,`industry`,`is_deleted`,`created_at`,`updated_at`) VALUES
(19295,3,'Oak & Co 69','Blue Fin 31','percent %20 +plus',0,'2027-05-16 18:58:10',NULL);
INSERT IGNORE INTO `campaign` (`id`,`account_id`,`advertiser_id`,`name`,`status`,`start_date`,`end_date`,`budget`,`impression_goal`,`is_deleted`,`created_at`,`updated_at`) VALUES
(123345,3,19295,'null','active',NULL,'2028-05-31',NULL,4294967295,0,'2027-08-16 03:04:10','2028-12-31 23:35:10');
INSERT IGNORE INTO `placement` (`id`,`campaign_id`,`site_id`,`ad_html5_id`,`asset_id`,`status`,`is_deleted`) VALUES
(630103,123345,223714,19246,NULL,'archived',0);
