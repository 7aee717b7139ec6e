INSERT IGNORE INTO `kpi_daily` (`stat_date`,`account_id`,`advertiser_id`,`campaign_id`,`placement_id`,`impressions`,`clicks`,`interactions`) VALUES
('2028-04-02',3,19295,123345,630103,'9223372036854775809','702','1388737');
INSERT IGNORE INTO `engagement_daily` (`stat_date`,`account_id`,`advertiser_id`,`campaign_id`,`placement_id`,`engagements`,`engagement_time_ms`,`expansions`) VALUES
('2028-04-02',3,19295,123345,630103,'529','3033390282413174000','35');
