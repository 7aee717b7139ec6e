INSERT IGNORE INTO `account` (`id`,`name`,`is_deleted`,`created_at`) VALUES
(1,'Ácme 12',0,'2027-08-05 08:24:39'),
(2,'percent %20 +plus',0,'2028-02-12 14:29:03'),
(3,'été 66',0,'2027-08-22 08:02:10');
INSERT IGNORE INTO `api` (`id`,`account_id`,`name`,`int_key`,`api_key`,`rph`,`r_count`,`is_deleted`,`created_at`) VALUES
(1,1,'percent %20 +plus','Int-S11101-A1-0Ä','api-s11101-a1-0-4117',1000000,72,0,'2027-03-30 23:15:22'),
(2,1,'cr\rlf\r\n','Int-S11101-A1-1x','api-s11101-a1-1-4962',0,12,0,'2027-04-25 12:15:47'),
(3,1,'ete 56','Int-S11101-A1-2x','api-s11101-a1-2-3810',1000000,62,1,'2027-09-17 03:56:17'),
(4,2,'&amp;amp;','Int-S11101-A2-0','api-s11101-a2-0-7803',1000000,84,0,'2027-02-26 01:24:36'),
(5,2,'percent %20 +plus','Int-S11101-A2-1x','api-s11101-a2-1-3790',2,7,0,'2027-01-14 18:53:49'),
(6,2,'-42','Int-S11101-A2-2x','api-s11101-a2-2-7549',1000000,82,1,'2026-11-27 23:33:07'),
(7,3,']]>','Int-S11101-A3-0','api-s11101-a3-0-4359',1000000,64,0,'2027-12-02 21:41:33'),
(8,3,'zetahttp://example.com/path?x=1&y=2','Int-S11101-A3-1','api-s11101-a3-1-6479',1000000,79,0,'2027-06-10 18:14:55'),
(9,3,'&amp;amp;','Int-S11101-A3-2x','api-s11101-a3-2-5646',3,38,0,'2028-02-10 03:20:03'),
(10,3,'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx','Int-S11101-A3-3Ä','api-s11101-a3-3-8778',1000000,32,1,'2027-08-07 07:05:16');
