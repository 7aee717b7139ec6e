INSERT IGNORE INTO `kpi_daily` (`stat_date`,`account_id`,`advertiser_id`,`campaign_id`,`placement_id`,`impressions`,`clicks`,`interactions`) VALUES
('2025-03-08',2,69301,69339,225658,'18446744073709551614','1','3185559');
