INSERT IGNORE INTO `kpi_daily` (`stat_date`,`account_id`,`advertiser_id`,`campaign_id`,`placement_id`,`impressions`,`clicks`,`interactions`) VALUES
('2025-11-04',1,69301,69340,225687,'18446744073709551614','0','0');
