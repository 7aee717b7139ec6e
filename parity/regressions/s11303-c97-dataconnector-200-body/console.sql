INSERT IGNORE INTO `account` (`id`,`name`,`is_deleted`,`created_at`) VALUES
(1,'http://example.com/path?x=1&y=2',0,'2027-08-28 18:59:31'),
(2,'{\"json\":true}',0,'2027-05-02 18:13:39'),
(3,'ete 55',0,'2028-02-01 17:55:43');
INSERT IGNORE INTO `api` (`id`,`account_id`,`name`,`int_key`,`api_key`,`rph`,`r_count`,`is_deleted`,`created_at`) VALUES
(1,1,'Blue Fin 38','Int-S11303-A1-0','api-s11303-a1-0-7479',1000000,54,0,'2027-08-22 05:45:37'),
(2,1,'<b>bold</b>','Int-S11303-A1-1','api-s11303-a1-1-1364',1000000,28,0,'2027-08-29 05:42:05'),
(3,1,'nul\0byte','Int-S11303-A1-2Ä','api-s11303-a1-2-1201',2,45,0,'2027-02-07 16:25:01'),
(4,1,'Acme 7','Int-S11303-A1-3x','api-s11303-a1-3-2913',1000000,75,1,'2027-01-28 15:36:34'),
(5,2,'Ácme 93','Int-S11303-A2-0x','api-s11303-a2-0-5423',1000000,29,0,'2027-02-18 10:09:09'),
(6,2,'<![CDATA[x]]>','Int-S11303-A2-1x','api-s11303-a2-1-1233',1000000,5,0,'2026-12-24 01:42:08'),
(7,2,'acme','Int-S11303-A2-2Ä','api-s11303-a2-2-7732',1,85,0,'2026-12-15 19:11:18'),
(8,2,'line\nbreak','Int-S11303-A2-3Ä','api-s11303-a2-3-3440',1000000,23,1,'2027-07-09 09:53:14'),
(9,3,'@handle','Int-S11303-A3-0x','api-s11303-a3-0-5982',1000000,38,0,'2028-01-01 20:00:19'),
(10,3,'zeta','Int-S11303-A3-1x','api-s11303-a3-1-8423',0,12,0,'2027-04-16 06:11:56'),
(11,3,'Acme 24','Int-S11303-A3-2Ä','api-s11303-a3-2-3774',1000000,71,1,'2027-04-16 00:32:44');
INSERT IGNORE INTO `advertiser` (`id`,`account_id`,`name`,`website`,`industry`,`is_deleted`,`created_at`,`updated_at`) VALUES
(206178,2,'&#xFFFE;&#xFDD0;&#1114111;&#127;',NULL,'cr\rlf\r\n',0,'2027-04-21 07:10:45',NULL);
INSERT IGNORE INTO `campaign` (`id`,`account_id`,`advertiser_id`,`name`,`status`,`start_date`,`end_date`,`budget`,`impression_goal`,`is_deleted`,`created_at`,`updated_at`) VALUES
(206201,2,206178,'éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé','archived','2028-12-30','2028-04-12','12.50',NULL,0,'2027-10-20 09:09:43',NULL);
INSERT IGNORE INTO `placement` (`id`,`campaign_id`,`site_id`,`ad_html5_id`,`asset_id`,`status`,`is_deleted`) VALUES
(537640,206201,245209,NULL,206154,'archived',0);
