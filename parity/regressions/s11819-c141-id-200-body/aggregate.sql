INSERT IGNORE INTO `kpi_daily` (`stat_date`,`account_id`,`advertiser_id`,`campaign_id`,`placement_id`,`impressions`,`clicks`,`interactions`) VALUES
('2024-05-20',3,122950,272411,536685,'1562288','585','770');
INSERT IGNORE INTO `engagement_daily` (`stat_date`,`account_id`,`advertiser_id`,`campaign_id`,`placement_id`,`engagements`,`engagement_time_ms`,`expansions`) VALUES
('2024-05-20',3,122950,272411,536685,'474','1302321538110937000','21');
