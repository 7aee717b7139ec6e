INSERT IGNORE INTO `kpi_daily` (`stat_date`,`account_id`,`advertiser_id`,`campaign_id`,`placement_id`,`impressions`,`clicks`,`interactions`) VALUES
('2024-07-18',1,313817,4399854,13803127,'855','4294967293','4294967293');
INSERT IGNORE INTO `engagement_daily` (`stat_date`,`account_id`,`advertiser_id`,`campaign_id`,`placement_id`,`engagements`,`engagement_time_ms`,`expansions`) VALUES
('2024-07-18',1,313817,4399854,13803127,'2156691','496688800186505000','40');
