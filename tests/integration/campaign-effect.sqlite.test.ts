import { describeCampaignEffect } from "./campaign-effect.shared";

describeCampaignEffect("sqlite");
