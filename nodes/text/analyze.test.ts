import { describe, expect, it } from 'vitest';
import { analyzeText, detectLanguage, matchKeywords, NEGATIVE_THRESHOLD, POSITIVE_THRESHOLD, tokenize } from './analyze';

const score = (t: string) => analyzeText(t).sentiment.score;
const label = (t: string) => analyzeText(t).sentiment.label;

describe('tokenize', () => {
  it('segments Chinese with jieba', () => {
    expect(tokenize('我来到北京清华大学')).toEqual(['我', '来到', '北京', '清华大学']);
    expect(tokenize('物流很给力，包装非常好')).toEqual(['物流', '很', '给力', '包装', '非常', '好']);
  });

  it('keeps slang from the lexicon whole', () => {
    expect(tokenize('客服太拉胯了')).toContain('拉胯');
    expect(tokenize('这家店真的绝绝子')).toContain('绝绝子');
  });

  it('splits English on word boundaries, lowercases, keeps contractions and drops punctuation', () => {
    expect(tokenize("Don't BUY this, it's a SCAM!!")).toEqual(["don't", 'buy', 'this', "it's", 'a', 'scam']);
    expect(tokenize('top-notch service')).toEqual(['top-notch', 'service']);
  });

  it('keeps emoji (normalized) and emoticons as tokens, drops URLs', () => {
    expect(tokenize('love it 😍👍🏽 :) https://t.co/x1')).toEqual(['love', 'it', '😍', '👍', ':)']);
    expect(tokenize('🤦‍♀️')).toEqual(['🤦']);
  });

  it('handles mixed scripts', () => {
    expect(tokenize('这个app又crash了')).toEqual(['这个', 'app', '又', 'crash', '了']);
  });
});

describe('matchKeywords', () => {
  it('matches English on whole words, case-insensitively', () => {
    expect(matchKeywords('My CAT loves this food', ['cat'])).toEqual({ matched: true, found: ['cat'] });
    expect(matchKeywords('Which category is this in?', ['cat']).matched).toBe(false);
    expect(matchKeywords('great customer service', ['Customer Service']).matched).toBe(true);
  });

  it('matches Chinese on segmented tokens, not substrings', () => {
    expect(matchKeywords('我要申请退款', ['退款']).matched).toBe(true);
    // 市长 is a substring of 南京市长江大桥 (南京市|长江大桥) but not a word in it.
    expect(matchKeywords('南京市长江大桥', ['市长']).matched).toBe(false);
    expect(matchKeywords('南京市长江大桥', ['长江大桥']).matched).toBe(true);
    // ...while a dictionary word inside a longer token still counts.
    expect(matchKeywords('新手机到了', ['手机']).matched).toBe(true);
  });

  it('matches multi-token Chinese keywords on contiguous token runs', () => {
    expect(tokenize('客服态度太差')).toEqual(['客服', '态度', '太差']);
    expect(matchKeywords('客服态度太差', ['客服态度']).matched).toBe(true);
    expect(matchKeywords('态度好，客服一般', ['客服态度']).matched).toBe(false);
  });

  it('counts synonyms as the keyword', () => {
    const synonyms = { 退款: ['退钱', 'refund'] };
    expect(matchKeywords('什么时候退钱', ['退款'], { synonyms })).toEqual({ matched: true, found: ['退款'] });
    expect(matchKeywords('Still waiting for my REFUND', ['退款'], { synonyms }).found).toEqual(['退款']);
    expect(matchKeywords('refunds take forever', ['退款'], { synonyms }).matched).toBe(false);
  });

  it("supports mode 'all'", () => {
    const text = 'The battery died and support ignored me';
    expect(matchKeywords(text, ['battery', 'support'], { mode: 'all' })).toEqual({ matched: true, found: ['battery', 'support'] });
    expect(matchKeywords(text, ['battery', 'screen'], { mode: 'all' })).toEqual({ matched: false, found: ['battery'] });
    expect(matchKeywords(text, ['battery', 'screen']).matched).toBe(true);
    expect(matchKeywords(text, [], { mode: 'all' }).matched).toBe(false);
  });

  it('matches emoji keywords', () => {
    expect(matchKeywords('第三次了😡😡', ['😡']).matched).toBe(true);
  });
});

describe('detectLanguage', () => {
  it('classifies by script', () => {
    expect(detectLanguage('物流很快，包装也很好')).toBe('zh');
    expect(detectLanguage('Delivery was fast and the packaging was great')).toBe('en');
    expect(detectLanguage('Customer service态度超差，完全不想help')).toBe('mixed');
    expect(detectLanguage('这个app好卡')).toBe('zh'); // one loanword doesn't make it bilingual
    expect(detectLanguage('😡😡😡 !!!')).toBe('unknown');
    expect(detectLanguage('')).toBe('unknown');
    expect(detectLanguage('Привет, как дела')).toBe('unknown');
  });
});

describe('sentiment', () => {
  it('exports the ±0.15 label thresholds', () => {
    expect(POSITIVE_THRESHOLD).toBe(0.15);
    expect(NEGATIVE_THRESHOLD).toBe(-0.15);
  });

  it('flips on Chinese negation', () => {
    expect(label('这个手机好用')).toBe('positive');
    expect(label('这个手机不好用')).toBe('negative');
    expect(score('好')).toBeGreaterThan(0);
    expect(score('不好')).toBeLessThan(0);
    expect(label('没有想象的那么好')).toBe('negative');
    expect(label('没毛病')).toBe('positive');
    expect(label('一点都不贵')).toBe('positive');
  });

  it('flips on English negation', () => {
    expect(label('good')).toBe('positive');
    expect(label('not good')).toBe('negative');
    expect(label("I don't think it's good")).toBe('negative');
    expect(label('not bad at all')).toBe('positive');
    expect(label('This place never disappoints')).toBe('positive');
    expect(label('no issues so far')).toBe('positive');
  });

  it('does not let negation reach across a clause', () => {
    expect(label('没想到, 质量很好')).toBe('positive');
    expect(label('no, this is great')).toBe('positive');
  });

  it('scales magnitude with degree adverbs', () => {
    expect(score('有点失望')).toBeGreaterThan(score('失望'));
    expect(score('失望')).toBeGreaterThan(score('很失望'));
    expect(score('很失望')).toBeGreaterThan(score('非常失望'));
    expect(score('非常失望')).toBeGreaterThan(score('极其失望'));
    expect(score('good')).toBeLessThan(score('very good'));
    expect(score('very good')).toBeLessThan(score('extremely good'));
    expect(score('kinda good')).toBeLessThan(score('good'));
  });

  it('treats "not very X" as a mild opposite and "very not X" as strong', () => {
    expect(score('不太满意')).toBeLessThan(0);
    expect(score('不太满意')).toBeGreaterThan(score('不满意'));
    expect(score('非常不满意')).toBeLessThan(score('不满意'));
    expect(score('not very good')).toBeLessThan(0);
    expect(score('not very good')).toBeGreaterThan(score('not good'));
  });

  it('reads degree-adverb 好 / pretty as intensifiers, not praise', () => {
    expect(label('好贵啊')).toBe('negative');
    expect(label('pretty bad')).toBe('negative');
    expect(label('pretty good')).toBe('positive');
  });

  it('scores emoji', () => {
    for (const e of ['😡', '👎', '😭', '💩', '🤬']) expect(label(e)).toBe('negative');
    for (const e of ['👍', '❤️', '😍', '🎉', '👍🏻']) expect(label(e)).toBe('positive');
    expect(score('💩💩💩')).toBeLessThan(score('💩'));
    // an emoji reacts to the post; 不 does not negate it
    expect(label('还不给换 😡')).toBe('negative');
  });

  it('knows social-media slang', () => {
    for (const t of ['绝绝子', 'yyds', '物流给力', '真香', '种草了', '好评', 'this is fire', "it's lit", 'absolute banger']) {
      expect(label(t), t).toBe('positive');
    }
    for (const t of ['太坑了', '翻车了', '踩雷', '拉胯', '垃圾', '无语', '差评', '交智商税', '避雷', 'total scam', 'this sucks', 'meh', 'wtf', 'trash']) {
      expect(label(t), t).toBe('negative');
    }
  });

  it('amplifies with exclamation marks', () => {
    expect(score('great!!!')).toBeGreaterThan(score('great'));
    expect(score('垃圾！！！')).toBeLessThan(score('垃圾'));
    expect(score('今天下雨!!!')).toBe(0); // no direction to amplify
  });

  it('tilts sarcasm negative', () => {
    expect(label('呵呵，真是谢谢你们的售后')).toBe('negative');
    expect(label('Thanks for nothing')).toBe('negative');
    expect(label('Great, another update that breaks everything')).toBe('negative');
    expect(label('Love how the app logs me out every time, so annoying')).toBe('negative');
    expect(analyzeText('呵呵').sentiment.hits).toContain('sarcasm:呵呵');
  });

  it('weighs the clause after "but" more', () => {
    expect(label('包装不错，但是质量太差了')).toBe('negative');
    expect(label('The box was nice but the product broke in a day')).toBe('negative');
  });

  it('keeps genuine questions neutral-ish', () => {
    expect(label('有人用过吗？求推荐')).toBe('neutral');
    expect(label('Is it worth it?')).toBe('neutral');
    expect(label('为什么还没发货？？？')).toBe('negative');
  });

  it('combines both languages in mixed posts', () => {
    expect(label('新买的AirPods降噪效果amazing，地铁上终于安静了')).toBe('positive');
    expect(label('Customer service态度超差，完全不想help')).toBe('negative');
    expect(label('这次的update真的很拉胯, not worth it')).toBe('negative');
  });

  it('is neutral on plain information and empty input', () => {
    for (const t of ['', '   ', '请问周末营业到几点', 'What time does the store open tomorrow', '订单号 20240518']) {
      expect(label(t), t).toBe('neutral');
    }
  });

  it('explains itself with hits and stays in range', () => {
    const a = analyzeText('客服太拉胯了，踩雷了😡');
    expect(a.sentiment.hits).toEqual(expect.arrayContaining(['太拉胯', '踩雷', '😡']));
    const extreme = analyzeText('垃圾垃圾垃圾！！！😡😡😡🤬🤬🤬 worst scam ever, absolute trash!!!');
    expect(extreme.sentiment.score).toBeGreaterThanOrEqual(-1);
    expect(extreme.sentiment.score).toBeLessThan(-0.9);
  });
});

describe('analyzeText', () => {
  it('returns language, tokens and deduped keywords', () => {
    const a = analyzeText('@QuickShip 快递太慢了，快递员态度也差 Delivery delivery DELIVERY');
    expect(a.language).toBe('mixed');
    expect(a.tokens).toContain('快递');
    expect(a.keywords[0]).toBe('delivery'); // most frequent first, lowercased
    expect(a.keywords).toContain('快递');
    expect(new Set(a.keywords).size).toBe(a.keywords.length);
    expect(a.keywords).not.toContain('了');
    expect(a.keywords).not.toContain('太');
  });
});
