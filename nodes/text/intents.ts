/**
 * Built-in intents for the keyword/intent filter: each is a keyword list in both languages, matched with the same
 * token-aligned matcher as user keywords (Chinese segmented by jieba, English on word boundaries).
 * Written for Journeys (MIT), like the lexicon in ./lexicon.
 */
export const INTENTS = {
  refund: ['退款', '退钱', '退货', '赔偿', 'refund', 'money back', 'chargeback', 'return it'],
  complaint: ['投诉', '差评', '维权', '曝光', '12315', 'complaint', 'complain', 'unacceptable', 'worst'],
  purchase: ['怎么买', '多少钱', '价格', '链接', '下单', '想买', 'how much', 'price', 'where to buy', 'buy', 'order'],
  support: ['客服', '怎么办', '坏了', '不能用', '故障', '求助', 'help', 'broken', "doesn't work", 'not working', 'support'],
  cancel: ['取消', '注销', '退订', '不用了', 'cancel', 'unsubscribe', 'close my account'],
  shipping: ['物流', '快递', '发货', '到货', '没收到', 'shipping', 'delivery', 'tracking', 'package', 'arrive'],
  praise: ['好评', '推荐', '喜欢', '爱了', '点赞', 'love', 'recommend', 'great', 'thanks', 'awesome'],
} as const satisfies Record<string, readonly string[]>;

export type Intent = keyof typeof INTENTS;
export const INTENT_NAMES = Object.keys(INTENTS) as Intent[];
