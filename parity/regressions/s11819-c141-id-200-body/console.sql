INSERT IGNORE INTO `account` (`id`,`name`,`is_deleted`,`created_at`) VALUES
(1,'it\'s',0,'2023-08-20 19:28:45'),
(2,'{\"json\":true}',1,'2024-01-01 08:57:22'),
(3,'sep  ',0,'2023-12-03 05:56:37'),
(4,'Acmesep  ',0,'2023-01-07 19:45:58');
INSERT IGNORE INTO `api` (`id`,`account_id`,`name`,`int_key`,`api_key`,`rph`,`r_count`,`is_deleted`,`created_at`) VALUES
(1,1,'cr\rlf\r\n','Int-S11819-A1-0Ä','api-s11819-a1-0-1219',1000000,98,0,'2023-12-02 07:44:48'),
(2,1,'Blue Fin 59','Int-S11819-A1-1Ä','api-s11819-a1-1-6681',1000000,6,0,'2023-05-03 02:59:26'),
(3,1,'0012','Int-S11819-A1-2x','api-s11819-a1-2-1778',0,65,0,'2023-02-18 03:00:24'),
(4,1,'😀 emoji 🎉','Int-S11819-A1-3','api-s11819-a1-3-3702',1000000,36,1,'2023-07-29 10:40:31'),
(5,2,'Zeta 42','Int-S11819-A2-0Ä','api-s11819-a2-0-2176',1000000,64,0,'2023-11-16 19:36:24'),
(6,3,'Ácme 74','Int-S11819-A3-0Ä','api-s11819-a3-0-9849',1000000,36,0,'2023-11-17 23:55:13'),
(7,3,'acmectl','Int-S11819-A3-1x','api-s11819-a3-1-5760',1,51,0,'2023-01-13 08:34:09'),
(8,3,'it\'s','Int-S11819-A3-2x','api-s11819-a3-2-1699',1000000,11,1,'2023-06-16 01:38:05'),
(9,4,'Zeta','Int-S11819-A4-0x','api-s11819-a4-0-2508',1000000,100,0,'2023-12-14 14:01:40'),
(10,4,'tab\there','Int-S11819-A4-1Ä','api-s11819-a4-1-7543',0,16,0,'2023-02-17 00:00:30'),
(11,4,'Ácme 93','Int-S11819-A4-2','api-s11819-a4-2-9084',1000000,11,1,'2023-05-14 03:19:46');
INSERT IGNORE INTO `advertiser` (`id`,`account_id`,`name`,`website`,`industry`,`is_deleted`,`created_at`,`updated_at`) VALUES
(122950,3,'Blue Fin  padded  ','ete','Ärger 78',0,'2022-11-20 02:32:13',NULL);
INSERT IGNORE INTO `campaign` (`id`,`account_id`,`advertiser_id`,`name`,`status`,`start_date`,`end_date`,`budget`,`impression_goal`,`is_deleted`,`created_at`,`updated_at`) VALUES
(272411,3,122950,']]>','completed','2024-10-12','2024-07-07','-5.00',NULL,0,'2023-08-06 13:26:33',NULL);
INSERT IGNORE INTO `placement` (`id`,`campaign_id`,`site_id`,`ad_html5_id`,`asset_id`,`status`,`is_deleted`) VALUES
(536685,272411,536684,48408,NULL,'active',0);
