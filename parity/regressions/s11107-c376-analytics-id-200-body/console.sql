INSERT IGNORE INTO `account` (`id`,`name`,`is_deleted`,`created_at`) VALUES
(1,'Acme😀 emoji 🎉',0,'2027-01-24 08:43:05'),
(2,'zeta 3',1,'2027-03-11 07:27:32');
INSERT IGNORE INTO `api` (`id`,`account_id`,`name`,`int_key`,`api_key`,`rph`,`r_count`,`is_deleted`,`created_at`) VALUES
(1,1,' ','Int-S11107-A1-0Ä','api-s11107-a1-0-4575',1000000,67,0,'2028-01-31 19:56:29'),
(2,1,'ete 9','Int-S11107-A1-1Ä','api-s11107-a1-1-1357',1000000,27,0,'2028-01-13 11:09:03'),
(3,1,'مرحبا','Int-S11107-A1-2Ä','api-s11107-a1-2-6452',0,24,0,'2027-03-03 21:28:46'),
(4,1,'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx','Int-S11107-A1-3','api-s11107-a1-3-5459',1000000,84,1,'2027-02-25 08:25:02'),
(5,2,'ACME','Int-S11107-A2-0Ä','api-s11107-a2-0-4995',1000000,92,0,'2026-11-26 13:09:23');
INSERT IGNORE INTO `advertiser` (`id`,`account_id`,`name`,`website`,`industry`,`is_deleted`,`created_at`,`updated_at`) VALUES
(79699,1,'étéit\'s','acme  78','Zeta 4',0,'2027-02-20 23:54:01',NULL);
INSERT IGNORE INTO `campaign` (`id`,`account_id`,`advertiser_id`,`name`,`status`,`start_date`,`end_date`,`budget`,`impression_goal`,`is_deleted`,`created_at`,`updated_at`) VALUES
(79755,1,79699,'http://example.com/path?x=1&y=2','paused','2028-07-11','2028-05-26',NULL,4294967295,0,'2027-03-30 04:47:25','2028-09-06 01:27:03');
